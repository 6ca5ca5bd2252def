// oidc-provider ships no type declarations; the IdP uses it through this narrow, untyped door.
declare module 'oidc-provider' {
  const Provider: new (issuer: string, configuration: object) => any;
  export default Provider;
}
