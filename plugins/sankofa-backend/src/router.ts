import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { VM_STATES } from '@sankofa/plugin-sankofa-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { PlacementPolicyService } from './policy/PlacementPolicyService';
import { VmStatusService } from './status/VmStatusService';

const statusQuery = z.object({
  entityRef: z.string().min(1, 'is required'),
});

const policyQuery = z.object({
  owner: z.string().min(1, 'is required').max(253),
});

const fleetQuery = z.object({
  site: z.string().min(1).max(63).optional(),
  owner: z.string().min(1).max(253).optional(),
  state: z.enum(VM_STATES as [string, ...string[]]).optional(),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/** Turns a zod failure into a 400 naming the field and the reason. */
function parseQuery<T extends z.ZodType>(
  schema: T,
  query: unknown,
): z.infer<T> {
  const result = schema.safeParse(query);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue.path.join('.') || 'query';
    throw new InputError(`${field}: ${issue.message}`);
  }
  return result.data;
}

/** HTTP only: parse, authenticate, delegate to the service. */
export async function createRouter(options: {
  httpAuth: HttpAuthService;
  statusService: VmStatusService;
  policyService: PlacementPolicyService;
}): Promise<express.Router> {
  const { httpAuth, statusService, policyService } = options;
  const router = Router();

  router.get('/vms/status', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const { entityRef } = parseQuery(statusQuery, req.query);
    res.json(await statusService.getStatus(entityRef, credentials));
  });

  router.get('/vms', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const filters = parseQuery(fleetQuery, req.query);
    res.json(
      await statusService.listFleet(
        { ...filters, state: filters.state as any },
        credentials,
      ),
    );
  });

  router.get('/policy', async (req, res) => {
    // Only signed-in users: the policy is not secret, but quota usage is per group.
    await httpAuth.credentials(req, { allow: ['user'] });
    const { owner } = parseQuery(policyQuery, req.query);
    res.json(policyService.getPolicy(owner));
  });

  return router;
}
