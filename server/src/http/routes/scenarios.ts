// /v1/scenarios: catalogue, runs (active and, additively, recent), start and control.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PlaybookInfoSchema, ScenarioRunSchema, ScenarioStartSchema, lenientInt, scenarioSpeedBody } from '@siem/contracts';
import type { AppDeps } from '../app.ts';

export function scenarioRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { config, scenarios } = deps;
  const tags = ['scenarios'];
  const params = z.object({ run_id: z.string() });
  const runResponse = { 200: ScenarioRunSchema };

  r.get('/v1/scenarios/available', {
    config: { access: 'user' },
    schema: { tags, summary: 'Playbooks in the playbook directory', response: { 200: z.array(PlaybookInfoSchema) } },
    handler: async () => scenarios.available(),
  });

  r.get('/v1/scenarios/running', {
    config: { access: 'user' },
    schema: { tags, summary: 'Active runs (running or paused), newest first', response: { 200: z.array(ScenarioRunSchema) } },
    handler: async () => scenarios.running(),
  });

  r.get('/v1/scenarios/recent', {
    config: { access: 'user' },
    schema: { tags, summary: 'Finished runs, newest first (addition)', querystring: z.object({ limit: lenientInt({ min: 1, max: 100, source: 'query' }).optional().default(20) }), response: { 200: z.array(ScenarioRunSchema) } },
    handler: async (req) => scenarios.recent(req.query.limit),
  });

  r.post('/v1/scenarios/start', {
    config: { access: 'user' },
    schema: { tags, summary: 'Start a playbook', body: ScenarioStartSchema(config.SCENARIO_MIN_SPEED, config.SCENARIO_MAX_SPEED), response: { 201: ScenarioRunSchema } },
    handler: async (req, reply) => reply.code(201).send(await scenarios.start(req.body)),
  });

  r.post('/v1/scenarios/:run_id/stop', {
    config: { access: 'user' },
    schema: { tags, summary: 'Stop a run', params, response: runResponse },
    handler: async (req) => scenarios.stop(req.params.run_id),
  });

  r.post('/v1/scenarios/:run_id/pause', {
    config: { access: 'user' },
    schema: { tags, summary: 'Pause a run', params, response: runResponse },
    handler: async (req) => scenarios.pause(req.params.run_id),
  });

  r.post('/v1/scenarios/:run_id/resume', {
    config: { access: 'user' },
    schema: { tags, summary: 'Resume a paused run', params, response: runResponse },
    handler: async (req) => scenarios.resume(req.params.run_id),
  });

  r.put('/v1/scenarios/:run_id/speed', {
    config: { access: 'user' },
    schema: { tags, summary: 'Change the playback speed', params, body: scenarioSpeedBody(config.SCENARIO_MIN_SPEED, config.SCENARIO_MAX_SPEED), response: runResponse },
    handler: async (req) => scenarios.setSpeed(req.params.run_id, req.body.speed),
  });
}
