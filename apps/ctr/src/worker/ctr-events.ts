import { z } from 'zod';

const rawValue = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.union([z.string(), z.number()]))]);

/**
 * The worker's input stream. An impression carries the raw feature row that was served; a click (or any
 * positive outcome of a task: conversion…) refers to its impression by id. `ts` is event time in ms: the
 * join window and the watermark are in event time, so replaying a stream gives the same joins.
 */
export const ctrEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('impression'), id: z.string().min(1).max(200), ts: z.number(), row: z.record(z.string(), rawValue) }),
  z.strictObject({
    type: z.literal('click'),
    /** Optional id of the click itself (idempotency); default `<impressionId>:<task>`. */
    id: z.string().min(1).max(200).optional(),
    impressionId: z.string().min(1).max(200),
    ts: z.number(),
    /** The task whose label this event makes positive (default: the first task, e.g. click). */
    task: z.string().min(1).optional(),
  }),
]);
export type CtrEvent = z.output<typeof ctrEventSchema>;
export type ImpressionEvent = Extract<CtrEvent, { type: 'impression' }>;
export type ClickEvent = Extract<CtrEvent, { type: 'click' }>;
