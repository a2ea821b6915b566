import { defineRoute, type AppModule } from '@moe/service';

/** A route that does nothing but answer: measures the service stack itself (validation, metrics, logging). */
export const trivialApp: AppModule = {
  name: 'bench',
  title: 'Benchmark target',
  routes: [defineRoute({ method: 'get', path: '/ping', summary: 'Answers {ok: true}', handler: () => ({ ok: true }) })],
};
