/**
 * The presentation timeline applies edit lists the way native ffmpeg does, so reported times
 * agree with it and with players.
 */
import { describe, expect, it } from 'vitest';
import { SampleList } from '../../src/demux/sample-list.js';
import type { EditSegment, VideoTrack } from '../../src/demux/video-track.js';
import { buildPresentationTimeline, type PresentationTimeline } from '../../src/seek/presentation-timeline.js';

/** A 1000-tick-per-second track of frames 100 ticks apart, with the given composition times. */
function track(cts: number[], edits: EditSegment[]): VideoTrack {
  const samples = SampleList.fromRecords(cts.map((c, index) => ({ dts: index * 100, cts: c, duration: 100, offset: 0, size: 1, isSync: index === 0 })));
  return {
    codec: 'h264', codecString: 'avc1', timescale: 1000, codedWidth: 16, codedHeight: 16, rotation: 0,
    samples, edits, nalLengthSize: 4, parameterSets: [],
    buildDecodeInput: () => { throw new Error('not used'); },
  };
}
const frames = (timeline: PresentationTimeline) => Array.from({ length: timeline.length }, (_, i) => timeline.at(i));
const times = (t: VideoTrack) => frames(buildPresentationTimeline(t)).map((f) => [f.sample.index, f.timeUs]);

describe('presentation timeline', () => {
  it('without an edit list presents every sample at its composition time, in presentation order', () => {
    expect(times(track([200, 400, 300], []))).toEqual([[0, 200_000], [2, 300_000], [1, 400_000]]);
  });

  it('shifts by the edit media time (the usual B-frame delay edit)', () => {
    expect(times(track([100, 300, 200, 400], [{ mediaTime: 100, duration: Infinity }]))).toEqual([
      [0, 0], [2, 100_000], [1, 200_000], [3, 300_000],
    ]);
  });

  it('hides samples before the edit and after its end', () => {
    const t = track([0, 100, 200, 300, 400, 500], [{ mediaTime: 200, duration: 200 }]);
    expect(times(t)).toEqual([[2, 0], [3, 100_000]]);
  });

  it('moves the first shown frame to the start when the edit begins between frames', () => {
    const t = track([0, 100, 200, 300], [{ mediaTime: 150, duration: Infinity }]);
    expect(times(t)).toEqual([[2, 0], [3, 100_000]]);
  });

  it('delays everything by a leading empty edit', () => {
    const t = track([0, 100, 200], [{ mediaTime: null, duration: 500 }, { mediaTime: 0, duration: Infinity }]);
    expect(times(t)).toEqual([[0, 500_000], [1, 600_000], [2, 700_000]]);
  });

  it('plays consecutive edits one after the other', () => {
    const t = track([0, 100, 200, 300], [{ mediaTime: 0, duration: 200 }, { mediaTime: 200, duration: 200 }]);
    expect(times(t)).toEqual([[0, 0], [1, 100_000], [2, 200_000], [3, 300_000]]);
  });

  it('reports whole microseconds, rounded', () => {
    const t = { ...track([0, 1], []), timescale: 3 };
    expect(frames(buildPresentationTimeline(t)).map((f) => f.timeUs)).toEqual([0, 333_333]);
  });

  it('knows the frame on screen: from its time until the next frame, the last for its duration', () => {
    const t = track([100, 300, 200], [{ mediaTime: 100, duration: Infinity }]);
    const timeline = buildPresentationTimeline(t);
    const shown = (us: number) => timeline.frameShownAt(us);
    expect(shown(0)).toEqual({ timeUs: 0, endUs: 100_000 });
    expect(shown(99_999)).toEqual({ timeUs: 0, endUs: 100_000 });
    expect(shown(150_000)).toEqual({ timeUs: 100_000, endUs: 200_000 });
    expect(shown(299_999)).toEqual({ timeUs: 200_000, endUs: 300_000 });
    expect(shown(300_000)).toBeUndefined();
    expect(buildPresentationTimeline(track([500], [])).frameShownAt(499_999)).toBeUndefined();
  });
});
