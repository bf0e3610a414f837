export * from './migrations';
export * from './node-store';
export * from './settings-service';
export * from './store-options';
export * from './window-bounds';
export * from './window-state-saver';
