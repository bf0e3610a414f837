export * from './api';
export * from './app';
export * from './capture';
export * from './contract';
export * from './dispatch';
export * from './errors';
export * from './keys';
export * from './server';
