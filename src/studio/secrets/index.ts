export * from './cipher-vault';
export * from './file-vault';
export * from './safe-storage-info';
