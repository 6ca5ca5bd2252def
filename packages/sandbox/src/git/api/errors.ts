import type { ErrorRequestHandler } from 'express';

/** An error answered the way Gitea answers it: `{message, url}` and a status. */
export class GiteaApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'GiteaApiError';
  }
}

export const notFound = (what = "The target couldn't be found.") =>
  new GiteaApiError(404, what);
export const unprocessable = (message: string) =>
  new GiteaApiError(422, message);
export const conflict = (message: string) => new GiteaApiError(409, message);
export const unauthorized = (message = 'token is required') =>
  new GiteaApiError(401, message);

/** The body Gitea sends with every API error. */
export function errorBody(baseUrl: string, message: string) {
  return { message, url: `${baseUrl}/api/swagger` };
}

export function apiErrorHandler(baseUrl: () => string): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    if (err instanceof GiteaApiError) {
      res.status(err.status).json(errorBody(baseUrl(), err.message));
      return;
    }
    // body-parser errors carry a status (400 bad JSON, 413 too large).
    const status = typeof err?.status === 'number' ? err.status : 500;
    const message =
      status === 400
        ? `invalid request body: ${err.message}`
        : String(err?.message ?? err);
    res.status(status).json(errorBody(baseUrl(), message));
  };
}
