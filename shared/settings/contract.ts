import { z } from 'zod';
import { method, topic } from '../kernel/define';
import { UiSettings, UiSettingsPatch } from './model';

// The console's own settings (theme, time zone, notifications, the operator's name): kept by main, one copy.

const None = z.object({}).strict();

export const settingsMethods = {
  'settings.get': method(None, UiSettings),
  'settings.update': method(UiSettingsPatch, UiSettings),
};

export const settingsTopics = {
  'settings.changed': topic(None, UiSettings),
};
