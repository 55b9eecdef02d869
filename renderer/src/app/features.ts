// Every feature of the console: importing a feature's index.ts registers its view and keys. The order here does
// not matter (each view carries its navigation order).
import '../features/slo';
import '../features/alerts';
import '../features/incidents';
import '../features/runbooks';
import '../features/jobs';
import '../features/activity';
import '../features/insights';
import '../features/settings';
import '../features/wall';
