/**
 * The Sankofa backend plugin: VM status from Crossplane, Proxmox and ArgoCD.
 *
 * @packageDocumentation
 */
export { sankofaPlugin as default } from './plugin';
