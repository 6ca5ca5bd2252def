import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { JsonObject, JsonValue } from '@backstage/types';

const created: string[] = [];
afterAll(() => {
  for (const dir of created.splice(0)) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * An ActionContext for unit tests, shaped like the one of
 * @backstage/plugin-scaffolder-node-test-utils. That package's current release still requires
 * scaffolder-node 0.13 while this repo is on 1.0, so we keep this small equivalent instead of a
 * second copy of scaffolder-node. `checkpoints` lets a test play a recovered task: results stored
 * under a key are returned without running the step again, as the task engine does.
 */
export function createMockActionContext<
  TInput extends JsonObject = JsonObject,
  TOutput extends JsonObject = JsonObject,
>(
  options: Partial<ActionContext<TInput, TOutput>> & {
    input?: TInput;
    checkpoints?: Record<string, JsonValue | void>;
  } = {},
): ActionContext<TInput, TOutput> & { outputs: Record<string, JsonValue> } {
  const workspacePath =
    options.workspacePath ??
    fs.mkdtempSync(path.join(os.tmpdir(), 'sankofa-action-'));
  if (!options.workspacePath) created.push(workspacePath);
  const outputs: Record<string, JsonValue> = {};
  const checkpoints = options.checkpoints ?? {};
  const { checkpoints: _ignored, ...rest } = options;
  return {
    logger: mockServices.logger.mock(),
    workspacePath,
    input: {} as TInput,
    task: { id: 'task-1' },
    output: jest.fn((name: keyof TOutput, value: any) => {
      outputs[name as string] = value;
    }),
    async createTemporaryDirectory() {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sankofa-tmp-'));
      created.push(dir);
      return dir;
    },
    async checkpoint<T extends JsonValue | void>(opts: {
      key: string;
      fn: () => Promise<T> | T;
    }): Promise<T> {
      if (opts.key in checkpoints) {
        return checkpoints[opts.key] as T;
      }
      const value = await opts.fn();
      checkpoints[opts.key] = value;
      return value;
    },
    getInitiatorCredentials: async () =>
      mockCredentials.user('user:default/kofi') as any,
    user: { ref: 'user:default/kofi' },
    ...rest,
    outputs,
  } as ActionContext<TInput, TOutput> & { outputs: Record<string, JsonValue> };
}
