/**
 * Shared contracts of the Sankofa plugins.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './claim';
export * from './claimRef';
export * from './permissions';
export * from './request';
export * from './status';
