import { z } from 'zod';
import { defineRoute, HttpError, queryInt, type RouteDefinition } from '@moe/service';

const alertQuery = z.strictObject({
  camera: z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, 'expected a camera id (1–64 characters of A-Z a-z 0-9 . _ : -)').optional(),
  limit: queryInt({ min: 1, max: 500, default: 50 }),
});

/** `GET /api/anomaly/alerts`: the alerts the streaming worker stored, newest first. */
export function alertRoutes(): RouteDefinition[] {
  return [
    defineRoute({
      method: 'get',
      path: '/alerts',
      summary: 'Alerts raised by the streaming worker (snippet range, class, peak score), newest first',
      query: alertQuery,
      handler: async ({ query, db }) => {
        if (db === undefined) throw new HttpError('unavailable', 'no database configured');
        const alerts = await db.client.anomalyAlert.findMany({
          where: query.camera !== undefined ? { camera: query.camera } : {},
          orderBy: { updatedAt: 'desc' },
          take: query.limit,
        });
        return { alerts: alerts.map((a) => ({ stream: a.stream, camera: a.camera, startSnippet: a.startSnippet, endSnippet: a.endSnippet, peakScore: a.peakScore, expertClass: a.expertClass, status: a.status, updatedAt: a.updatedAt.toISOString() })) };
      },
    }),
  ];
}
