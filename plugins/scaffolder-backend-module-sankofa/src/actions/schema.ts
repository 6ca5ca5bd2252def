import type { z as zod } from 'zod/v3';

type Z = typeof zod;

/** The VM that `sankofa:vm:update` and `sankofa:vm:delete` act on. */
export const vmRefInput = (z: Z) =>
  z
    .string()
    .describe(
      'The VM: entity ref resource:<namespace>/<name> or claim ref <cluster>/<namespace>/<name>',
    );

/**
 * Outputs every `sankofa:vm:*` action gives: the files it changed and what the following
 * `sankofa:gitops:pullRequest` step needs to open its pull request.
 */
export const vmChangeOutputs = {
  files: (z: Z) => z.array(z.string()),
  removedFiles: (z: Z) => z.array(z.string()),
  claimRef: (z: Z) => z.string(),
  entityRef: (z: Z) => z.string(),
  branchName: (z: Z) => z.string(),
  title: (z: Z) => z.string(),
  details: (z: Z) => z.record(z.string(), z.string()),
};
