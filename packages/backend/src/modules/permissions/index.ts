export { permissionModuleSankofaPolicy as default } from './module';
export { SankofaPermissionPolicy, DEFAULT_ADMIN_GROUP } from './policy';
