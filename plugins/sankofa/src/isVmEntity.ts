import { Entity } from '@backstage/catalog-model';
import { VM_ENTITY_TYPE } from '@sankofa/plugin-sankofa-common';

/** VM entities are kind Resource with spec.type virtual-machine. */
export function isVmEntity(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'resource' &&
    entity.spec?.type === VM_ENTITY_TYPE
  );
}
