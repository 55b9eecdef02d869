# Stdout callback for the AWX simulator.
#
# It prints exactly what ansible's `default` callback prints, but instead of
# writing to the terminal it records, for every callback event, the text that
# event printed, and writes one JSON line per event to the file descriptor named
# by AWX_SIM_EVENTS_FD. The simulator turns those records into AWX job events.
# This mirrors what ansible-runner's display callback does for AWX: text printed
# inside a callback belongs to that event; text printed outside any callback
# becomes `verbose` events, one per line.
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = '''
    name: awx_sim
    type: stdout
    short_description: default output, recorded per event for the AWX simulator
    description:
      - Behaves like the default stdout callback and records the text of every event.
    extends_documentation_fragment:
      - default_callback
      - result_format_callback
    requirements:
      - set as stdout callback
'''

import atexit
import datetime
import json
import os
import signal
import sys
import threading
import time
import uuid

from ansible.plugins.callback.default import CallbackModule as DefaultCallbackModule

# AWX drops module results bigger than this from event_data (MAX_EVENT_RES_DATA).
MAX_EVENT_RES_DATA = 700000

_local = threading.local()
# Serialises callback events so each event's text is contiguous, as one terminal would show it.
_event_lock = threading.RLock()
# Guards the record stream only; never held while ansible's Display lock is wanted.
_emit_lock = threading.Lock()
_sink = None


def _now():
    return datetime.datetime.now(datetime.timezone.utc).isoformat()


def _open_sink():
    fd = os.environ.get('AWX_SIM_EVENTS_FD')
    if not fd:
        return None
    return os.fdopen(int(fd), 'w', encoding='utf-8', buffering=1024 * 1024)


def _emit(record):
    if _sink is None:
        return
    line = json.dumps(record, default=str, ensure_ascii=False)
    with _emit_lock:
        try:
            _sink.write(line + '\n')
            _sink.flush()
        except (BrokenPipeError, OSError):
            # The simulator went away; nothing is listening any more.
            _die()


class _Capture(object):
    """Replaces sys.stdout/sys.stderr: routes text to the current event of this thread."""

    def __init__(self, original):
        self._original = original
        self.encoding = 'utf-8'
        self.errors = 'replace'

    def write(self, text):
        current = getattr(_local, 'event', None)
        if current is not None:
            current['chunks'].append(text)
            return len(text)
        pending = getattr(_local, 'pending', '') + text
        lines = pending.split('\n')
        _local.pending = lines.pop()
        for line in lines:
            _emit_verbose(line + '\n')
        return len(text)

    def flush(self):
        return None

    def isatty(self):
        return False

    def fileno(self):
        return self._original.fileno()

    def writable(self):
        return True


def _emit_verbose(text):
    _emit({
        'event': 'verbose',
        'uuid': str(uuid.uuid4()),
        'parent_uuid': '',
        'created': _now(),
        'event_data': {},
        'stdout': text,
    })


def _flush_pending():
    pending = getattr(_local, 'pending', '')
    if pending:
        _local.pending = ''
        _emit_verbose(pending)


def _at_exit():
    _flush_pending()
    if _sink is not None:
        try:
            _sink.flush()
        except (BrokenPipeError, OSError):
            pass


def _clean_res(res):
    cleaned = {}
    for key, value in res.items():
        if key.startswith('_ansible_') and key != '_ansible_no_log':
            continue
        cleaned[key] = value
    try:
        size = len(json.dumps(cleaned, default=str))
    except (TypeError, ValueError):
        return {}
    if size > MAX_EVENT_RES_DATA:
        return {}
    return cleaned


def _die():
    # The simulator started ansible in a process group of its own: take the forks down too.
    try:
        os.killpg(os.getpgid(0), signal.SIGKILL)
    finally:
        os._exit(1)


def _watch_parent():
    # No ansible run may outlive the simulator that started it.
    parent = os.getppid()
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            _die()


class CallbackModule(DefaultCallbackModule):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'stdout'
    CALLBACK_NAME = 'awx_sim'

    def __init__(self):
        global _sink
        super(CallbackModule, self).__init__()
        if _sink is None:
            _sink = _open_sink()
            sys.stdout = _Capture(sys.stdout)
            sys.stderr = _Capture(sys.stderr)
            threading.Thread(target=_watch_parent, daemon=True).start()
            atexit.register(_at_exit)
        self._playbook_uuid = ''
        self._playbook = ''
        self._play = None
        self._play_ctx = {}
        self._task_ctx = {}

    # --- event bookkeeping -------------------------------------------------

    def _run_event(self, event, event_data, parent_uuid, event_uuid, fn, *args, **kwargs):
        data = {}
        data.update(self._play_ctx)
        data.update(self._task_ctx)
        data.update(event_data)
        data['uuid'] = event_uuid
        with _event_lock:
            _flush_pending()
            _local.event = {'chunks': []}
            try:
                fn(*args, **kwargs)
            finally:
                chunks = _local.event['chunks']
                _local.event = None
                _emit({
                    'event': event,
                    'uuid': event_uuid,
                    'parent_uuid': parent_uuid,
                    'created': _now(),
                    'event_data': data,
                    'stdout': ''.join(chunks),
                })

    def _task_context(self, task):
        ctx = {
            'task': task.get_name().strip(),
            'task_uuid': str(task._uuid),
            'task_action': task.action,
            'resolved_action': getattr(task, 'resolved_action', None) or task.action,
            'task_args': '',
            'task_path': task.get_path() or '',
        }
        if not task.no_log:
            args = ', '.join('%s=%s' % item for item in task.args.items())
            # A templated argument can be huge (the 200k-line debug); keep records small like res.
            ctx['task_args'] = args if len(args) <= MAX_EVENT_RES_DATA else ''
        role = getattr(task, '_role', None)
        if role is not None:
            ctx['role'] = role.get_name()
        return ctx

    def _runner_event(self, event, result, fn, *args, **kwargs):
        task = result._task
        data = self._task_context(task)
        data.update({
            'host': result._host.get_name(),
            'remote_addr': result._host.address,
            'res': _clean_res(result._result),
        })
        if 'ignore_errors' in kwargs:
            data['ignore_errors'] = kwargs['ignore_errors']
        self._run_event(event, data, str(task._uuid), str(uuid.uuid4()), fn, result, *args, **kwargs)

    # --- playbook level ----------------------------------------------------

    def v2_playbook_on_start(self, playbook):
        self._playbook_uuid = str(uuid.uuid4())
        self._playbook = os.path.basename(playbook._file_name)
        self._play_ctx = {'playbook': self._playbook, 'playbook_uuid': self._playbook_uuid}
        self._run_event('playbook_on_start', {}, '', self._playbook_uuid,
                        super(CallbackModule, self).v2_playbook_on_start, playbook)

    def v2_playbook_on_play_start(self, play):
        name = play.get_name().strip()
        pattern = ','.join(play.hosts) if isinstance(play.hosts, list) else str(play.hosts)
        self._task_ctx = {}
        self._play_ctx = {
            'playbook': self._playbook,
            'playbook_uuid': self._playbook_uuid,
            'play': name,
            'play_uuid': str(play._uuid),
            'play_pattern': pattern,
        }
        self._run_event('playbook_on_play_start', {'name': name, 'pattern': pattern}, self._playbook_uuid,
                        str(play._uuid), super(CallbackModule, self).v2_playbook_on_play_start, play)

    def _start_task(self, task, is_conditional, print_banner):
        self._task_ctx = self._task_context(task)
        self._run_event('playbook_on_task_start', {'name': self._task_ctx['task'], 'is_conditional': is_conditional},
                        self._play_ctx.get('play_uuid', ''), str(task._uuid), print_banner)

    def v2_playbook_on_task_start(self, task, is_conditional):
        parent = super(CallbackModule, self)
        self._start_task(task, bool(is_conditional), lambda: parent.v2_playbook_on_task_start(task, is_conditional))

    def v2_playbook_on_handler_task_start(self, task):
        # ansible-runner reports handlers as task starts flagged conditional; AWX shows "Handler Notified".
        parent = super(CallbackModule, self)
        self._start_task(task, True, lambda: parent.v2_playbook_on_handler_task_start(task))

    def v2_playbook_on_cleanup_task_start(self, task):
        parent = super(CallbackModule, self)
        self._start_task(task, False, lambda: parent.v2_playbook_on_cleanup_task_start(task))

    def v2_playbook_on_notify(self, handler, host):
        self._run_event('playbook_on_notify', {'handler': handler.get_name(), 'host': host.get_name()},
                        self._task_ctx.get('task_uuid', ''), str(uuid.uuid4()),
                        super(CallbackModule, self).v2_playbook_on_notify, handler, host)

    def v2_playbook_on_include(self, included_file):
        self._run_event('playbook_on_include', {'included_file': included_file._filename},
                        self._play_ctx.get('play_uuid', ''), str(uuid.uuid4()),
                        super(CallbackModule, self).v2_playbook_on_include, included_file)

    def v2_playbook_on_no_hosts_matched(self):
        self._run_event('playbook_on_no_hosts_matched', {}, self._play_ctx.get('play_uuid', ''), str(uuid.uuid4()),
                        super(CallbackModule, self).v2_playbook_on_no_hosts_matched)

    def v2_playbook_on_no_hosts_remaining(self):
        self._run_event('playbook_on_no_hosts_remaining', {}, self._play_ctx.get('play_uuid', ''),
                        str(uuid.uuid4()), super(CallbackModule, self).v2_playbook_on_no_hosts_remaining)

    def v2_playbook_on_stats(self, stats):
        data = {
            'changed': dict(stats.changed),
            'dark': dict(stats.dark),
            'failures': dict(stats.failures),
            'ignored': dict(getattr(stats, 'ignored', {})),
            'ok': dict(stats.ok),
            'processed': dict(stats.processed),
            'rescued': dict(getattr(stats, 'rescued', {})),
            'skipped': dict(stats.skipped),
            'artifact_data': dict(stats.custom.get('_run', {})) if stats.custom else {},
        }
        # Stats belong to the playbook, not to the last play or task.
        self._play_ctx = {'playbook': self._playbook, 'playbook_uuid': self._playbook_uuid}
        self._task_ctx = {}
        self._run_event('playbook_on_stats', data, self._playbook_uuid, str(uuid.uuid4()),
                        super(CallbackModule, self).v2_playbook_on_stats, stats)
        _flush_pending()

    # --- host level --------------------------------------------------------

    def v2_runner_on_start(self, host, task):
        data = self._task_context(task)
        data.update({'host': host.get_name(), 'remote_addr': host.address})
        self._run_event('runner_on_start', data, str(task._uuid), str(uuid.uuid4()),
                        super(CallbackModule, self).v2_runner_on_start, host, task)

    def v2_runner_on_ok(self, result):
        self._runner_event('runner_on_ok', result, super(CallbackModule, self).v2_runner_on_ok)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._runner_event('runner_on_failed', result, super(CallbackModule, self).v2_runner_on_failed,
                           ignore_errors=ignore_errors)

    def v2_runner_on_skipped(self, result):
        self._runner_event('runner_on_skipped', result, super(CallbackModule, self).v2_runner_on_skipped)

    def v2_runner_on_unreachable(self, result):
        self._runner_event('runner_on_unreachable', result, super(CallbackModule, self).v2_runner_on_unreachable)

    def v2_runner_item_on_ok(self, result):
        self._runner_event('runner_item_on_ok', result, super(CallbackModule, self).v2_runner_item_on_ok)

    def v2_runner_item_on_failed(self, result):
        self._runner_event('runner_item_on_failed', result, super(CallbackModule, self).v2_runner_item_on_failed)

    def v2_runner_item_on_skipped(self, result):
        self._runner_event('runner_item_on_skipped', result, super(CallbackModule, self).v2_runner_item_on_skipped)

    def v2_runner_retry(self, result):
        self._runner_event('runner_retry', result, super(CallbackModule, self).v2_runner_retry)

    def v2_runner_on_async_poll(self, result):
        self._runner_event('runner_on_async_poll', result, super(CallbackModule, self).v2_runner_on_async_poll)

    def v2_runner_on_async_ok(self, result):
        self._runner_event('runner_on_async_ok', result, super(CallbackModule, self).v2_runner_on_async_ok)

    def v2_runner_on_async_failed(self, result):
        self._runner_event('runner_on_async_failed', result, super(CallbackModule, self).v2_runner_on_async_failed)

    def v2_on_file_diff(self, result):
        self._runner_event('runner_on_file_diff', result, super(CallbackModule, self).v2_on_file_diff)
