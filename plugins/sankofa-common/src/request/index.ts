export * from './policy';
export * from './sshKey';
export * from './vmRequest';
export * from './placementPolicy';
export * from './readSitesPolicy';
