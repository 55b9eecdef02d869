// Connections are a screen of the settings view (which loads this lazily).
export { default } from './ConnectionsScreen';
