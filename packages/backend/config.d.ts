export interface Config {
  sankofa?: {
    permissions?: {
      /**
       * Entity ref of the group whose members may do everything in the portal (platform
       * admins). Default `group:default/platform`.
       * @visibility backend
       */
      adminGroup?: string;
    };
  };
}
