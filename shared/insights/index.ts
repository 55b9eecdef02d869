export * from './types';
export * from './period';
export * from './stats';
export * from './compute';
export * from './csv';
export * from './aggregate-overlay';
