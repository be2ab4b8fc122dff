/**
 * The picture size the H.264 and HEVC SPS readers give (cropping / conformance window applied) is
 * the one native ffprobe reports, on MP4s whose decoder configuration carries the SPS: sizes that
 * are whole macroblocks and sizes that need cropping (360, 480 and 1080 lines, 854 columns).
 */
import { describe, expect, it } from 'vitest';
import { H264_NAL, parseH264Sps } from '../../src/codec/h264-headers.js';
import { HEVC_NAL } from '../../src/codec/hevc.js';
import { parseHevcSps } from '../../src/codec/hevc-sps.js';
import { indexMp4 } from '../../src/demux/mp4/mp4-index.js';
import { openFileSource } from '../../src/sources/node-file-source.js';
import { fixture, requireSharedMedia, sharedMedia } from '../helpers/fixtures.js';
import { ffprobe, requireNativeTool } from '../helpers/native.js';

async function spsSize(path: string): Promise<{ width: number; height: number } | undefined> {
  const source = await openFileSource(path);
  try {
    const track = await indexMp4(source);
    if (track.codec === 'h264') return parseH264Sps(track.parameterSets.find((unit) => (unit[0]! & 0x1f) === H264_NAL.sps)!)?.size;
    const sps = parseHevcSps(track.parameterSets.find((unit) => ((unit[0]! >> 1) & 0x3f) === HEVC_NAL.sps)!);
    return sps && { width: sps.width, height: sps.height };
  } finally {
    await source.close();
  }
}

function probedSize(path: string): { width: number; height: number } {
  const [width, height] = ffprobe(['-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', path]).trim().split('\n')[0]!.split(',');
  return { width: Number(width), height: Number(height) };
}

describe.skipIf(!(requireNativeTool('ffmpeg') && requireNativeTool('ffprobe')))('the SPS picture size, as ffprobe reports it', () => {
  for (const name of ['h264-bframes.mp4', 'h264-10bit.mp4', 'hevc.mp4'] as const) {
    it(name, async () => expect(await spsSize(fixture(name))).toEqual(probedSize(fixture(name))));
  }
  it.skipIf(!requireSharedMedia())('the corpus: cropped H.264 and HEVC', async () => {
    for (const name of ['video.mp4', 'video-h265.mp4', 'sar_2x1.mp4', 'edts.mp4', 'cursed-vfr.mp4']) {
      expect(await spsSize(sharedMedia(name)), name).toEqual(probedSize(sharedMedia(name)));
    }
  });
});
