// A signal that aborts when the client closes its connection before the answer is sent,
// so work done only for that answer (a long search) can be cancelled.
import type { FastifyReply } from 'fastify';

export function clientGone(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  const response = reply.raw;
  // 'close' also fires after a completed answer: only an unfinished one means "gone".
  const onClose = () => {
    if (!response.writableFinished) controller.abort();
  };
  response.once('close', onClose);
  return controller.signal;
}
