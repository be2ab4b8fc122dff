/**
 * Jobs 6 and 7: rows that are in the table from the start, marked "not measured yet", so that the
 * table has its final shape and nobody mistakes a missing job for a passed one.
 */
import { absent, makeRow, type JobResult } from '../results.js';

const NOT_YET = 'not measured yet';

/** Job 6: decode efficiency. Its definition is still to come. */
export function decodeEfficiencyJob(): JobResult {
  return {
    id: 'job6',
    title: 'Decode efficiency',
    description: `${NOT_YET}: the metric is to be defined.`,
    status: 'not-measured',
    rows: [makeRow(NOT_YET, 'ms', { stillframe: absent(NOT_YET), native: absent(NOT_YET), naive: absent(NOT_YET) }, '≤ 1.1')],
    notes: [],
  };
}

/** Job 7: stillframe against Mediabunny, both in Chromium. */
export function mediabunnyJob(): JobResult {
  return {
    id: 'job7',
    title: 'Mediabunny in Chromium',
    description: `${NOT_YET}: stillframe's browser build against Mediabunny, in headless Chromium.`,
    status: 'not-measured',
    rows: [
      makeRow(NOT_YET, 'ms', { stillframe: absent(NOT_YET), native: absent('n/a'), naive: absent('n/a') }, '≤ 1.0× Mediabunny'),
    ],
    notes: [],
  };
}
