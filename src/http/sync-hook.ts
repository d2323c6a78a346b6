import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';

/**
 * A hook whose work is done at once, as a callback hook: no promise per request, as an async hook
 * costs. What it throws goes to the scope's error handler, as from an async hook.
 */
export function syncHook(work: (request: FastifyRequest, reply: FastifyReply) => void) {
  return (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    try {
      work(request, reply);
    } catch (error) {
      done(error as Error);
      return;
    }
    done();
  };
}
