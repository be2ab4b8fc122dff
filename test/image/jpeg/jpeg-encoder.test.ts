/**
 * encodeJpegFromRgba / encodeJpegFromYuv: what decoders make of the output (jpeg-js and native
 * ffmpeg, which must also have nothing to complain about), fidelity, sizes, validation, the
 * file structure, and byte stability (pinned hashes: any change to the algorithm shows).
 */
import { createHash } from 'node:crypto';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { encodeJpegFromRgba, encodeJpegFromYuv, encodeJpegFromYuvInSlices, rgbaToJfif420, type JfifYcbcr420 } from '../../../src/image/jpeg/index.js';
import type { RgbaImage } from '../../../src/image/rgba-image.js';
import { requireNativeTool } from '../../helpers/native.js';
import { noise } from '../../helpers/noise.js';
import { rgbDifference } from '../../helpers/pixels.js';
import { ffmpegDecode, psnr, segments, smoothImage, texturedImage } from './helpers.js';

const SUBSAMPLINGS = ['4:2:0', '4:4:4'] as const;

/** jpeg-js's decode, as RGBA. */
function jsDecode(bytes: Uint8Array): RgbaImage {
  const d = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
  return { width: d.width, height: d.height, data: d.data };
}

/** A fixed picture from integer arithmetic only (no Math.sin), so its hash pin cannot drift. */
function pinnedInput(): RgbaImage {
  const width = 37;
  const height = 23;
  const jitter = noise(width * height * 3, 2024, 24);
  const data = new Uint8Array(width * height * 4);
  for (let y = 0, i = 0, j = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i += 4, j += 3) {
      data[i] = (x * 6 + jitter[j]) & 255;
      data[i + 1] = (y * 10 + jitter[j + 1]) & 255;
      data[i + 2] = ((x * y) % 200) + jitter[j + 2];
      data[i + 3] = x & 1 ? 255 : 0; // alpha must not matter
    }
  }
  return { width, height, data };
}

/** Colour ramps of a few levels per pixel, whatever the size. */
function gentleImage(width: number, height: number): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i += 4) data.set([60 + ((2 * x) % 150), 40 + ((3 * y) % 170), 200 - ((x + y) % 120), 255], i);
  }
  return { width, height, data };
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('encodeJpegFromRgba', () => {
  it('writes SOI, JFIF APP0, DQT, SOF0 (size, sampling), DHT, SOS … EOI', () => {
    for (const subsampling of SUBSAMPLINGS) {
      const bytes = encodeJpegFromRgba(smoothImage(300, 7), 75, { subsampling });
      expect([bytes[0], bytes[1], bytes.at(-2), bytes.at(-1)]).toEqual([0xff, 0xd8, 0xff, 0xd9]);
      const list = segments(bytes);
      expect(list.map(([marker]) => marker)).toEqual([0xe0, 0xdb, 0xc0, 0xc4, 0xda]);
      expect(Buffer.from(list[0][1].subarray(0, 7)).toString('latin1')).toBe('JFIF\0\x01\x01');
      const sof = list[2][1];
      expect(Array.from(sof)).toEqual([8, 0, 7, 1, 44, 3, 1, subsampling === '4:2:0' ? 0x22 : 0x11, 0, 2, 0x11, 1, 3, 0x11, 1]);
    }
  });

  it('decodes in jpeg-js and in native ffmpeg close to the input (q90 smooth: PSNR > 35 dB)', { skip: !requireNativeTool('ffmpeg') }, () => {
    const image = smoothImage(160, 96);
    for (const subsampling of SUBSAMPLINGS) {
      const bytes = encodeJpegFromRgba(image, 90, { subsampling });
      const js = jsDecode(bytes);
      const native = ffmpegDecode(bytes, 160, 96);
      expect(native.stderr, subsampling).toBe('');
      for (const decoded of [js, native.image]) {
        expect(psnr(decoded, image), subsampling).toBeGreaterThan(35);
        expect(rgbDifference(decoded, image).mean, subsampling).toBeLessThan(1.5);
      }
    }
  });

  it('is as faithful and as compact as jpeg-js at the same quality (4:4:4, same tables)', { skip: !requireNativeTool('ffmpeg') }, () => {
    for (const image of [texturedImage(128, 72), smoothImage(160, 96)]) {
      for (const quality of [50, 80, 95]) {
        const ours = encodeJpegFromRgba(image, quality, { subsampling: '4:4:4' });
        const theirs = new Uint8Array(jpeg.encode(image, quality).data);
        const oursDecoded = ffmpegDecode(ours, image.width, image.height);
        expect(oursDecoded.stderr).toBe('');
        const ourError = rgbDifference(oursDecoded.image, image).mean;
        const theirError = rgbDifference(ffmpegDecode(theirs, image.width, image.height).image, image).mean;
        expect(ourError, `q${quality}`).toBeLessThan(theirError + 0.05);
        expect(Math.abs(ours.length / theirs.length - 1), `q${quality}`).toBeLessThan(0.03);
      }
    }
  });

  it('gets larger and more faithful as quality rises', () => {
    const image = texturedImage(96, 64, 10);
    for (const subsampling of SUBSAMPLINGS) {
      const qualities = [1, 10, 25, 50, 75, 90, 100];
      const encoded = qualities.map((q) => encodeJpegFromRgba(image, q, { subsampling }));
      for (let i = 1; i < encoded.length; i++) {
        expect(encoded[i].length, `${subsampling} q${qualities[i]}`).toBeGreaterThan(encoded[i - 1].length);
      }
      const errors = encoded.map((bytes) => rgbDifference(jsDecode(bytes), image).mean);
      for (let i = 1; i < errors.length; i++) expect(errors[i], `q${qualities[i]}`).toBeLessThan(errors[i - 1]);
    }
  });

  it('encodes odd and tiny sizes that decode at their exact size', { skip: !requireNativeTool('ffmpeg') }, () => {
    const sizes = [[1, 1], [2, 1], [1, 2], [1, 17], [17, 1], [7, 9], [8, 8], [15, 15], [16, 16], [17, 17], [33, 31], [250, 3]];
    for (const [width, height] of sizes) {
      // Slow ramps at any size, so that even 4:2:0 on 1- and 2-pixel sides has little to lose.
      const image = gentleImage(width, height);
      for (const subsampling of SUBSAMPLINGS) {
        const bytes = encodeJpegFromRgba(image, 92, { subsampling });
        const js = jsDecode(bytes);
        expect([js.width, js.height]).toEqual([width, height]);
        const native = ffmpegDecode(bytes, width, height);
        expect(native.stderr, `${width}x${height} ${subsampling}`).toBe('');
        // Edge replication keeps the border pixels as faithful as the rest.
        expect(rgbDifference(native.image, image).mean, `${width}x${height} ${subsampling}`).toBeLessThan(4);
      }
    }
  });

  it('survives noise at quality 100 (buffer growth, long codes, stuffed 0xFF bytes)', { skip: !requireNativeTool('ffmpeg') }, () => {
    const width = 200;
    const height = 150;
    const data = new Uint8Array(width * height * 4);
    const random = noise(data.length, 99);
    for (let i = 0; i < data.length; i++) data[i] = random[i];
    const image = { width, height, data };
    for (const subsampling of SUBSAMPLINGS) {
      const bytes = encodeJpegFromRgba(image, 100, { subsampling });
      // More than the encoder's initial quarter byte per pixel, so the buffer grew.
      expect(bytes.length).toBeGreaterThan((width * height) / 4 + 4096);
      const native = ffmpegDecode(bytes, width, height);
      expect(native.stderr).toBe('');
      if (subsampling === '4:4:4') expect(rgbDifference(native.image, image).mean).toBeLessThan(3);
    }
  });

  it('ignores alpha', () => {
    const image = pinnedInput();
    const opaque = { ...image, data: image.data.map((v, i) => ((i & 3) === 3 ? 255 : v)) };
    expect(sha256(encodeJpegFromRgba(image, 80))).toBe(sha256(encodeJpegFromRgba(opaque, 80)));
  });

  it('returns a plain, exactly sized Uint8Array', () => {
    const bytes = encodeJpegFromRgba(smoothImage(8, 8), 50);
    expect(Object.getPrototypeOf(bytes)).toBe(Uint8Array.prototype);
    expect(bytes.byteOffset).toBe(0);
    expect(bytes.buffer.byteLength).toBe(bytes.length);
  });

  it('is byte-stable: pinned SHA-256 of a fixed input (update only for a deliberate algorithm change)', () => {
    const image = pinnedInput();
    const hashes = Object.fromEntries(
      [10, 80, 100].flatMap((q) => SUBSAMPLINGS.map((s) => [`${s} q${q}`, sha256(encodeJpegFromRgba(image, q, { subsampling: s }))])),
    );
    expect(hashes).toEqual(PINNED);
  });

  it('rejects bad quality, subsampling, data size and sides with invalid-argument', () => {
    const image = smoothImage(8, 8);
    expect(() => encodeJpegFromRgba(image, 1)).not.toThrow();
    expect(() => encodeJpegFromRgba(image, 100)).not.toThrow();
    const invalid = expect.objectContaining({ name: 'StillframeError', kind: 'invalid-argument' });
    for (const quality of [0, 101, -5, 50.5, Number.NaN, Number.POSITIVE_INFINITY, '80' as unknown as number]) {
      expect(() => encodeJpegFromRgba(image, quality), String(quality)).toThrow(invalid);
    }
    expect(() => encodeJpegFromRgba(image, 80, { subsampling: '4:2:2' as '4:2:0' })).toThrow(invalid);
    expect(() => encodeJpegFromRgba({ width: 4, height: 4, data: new Uint8Array(63) }, 80)).toThrow(invalid);
    expect(() => encodeJpegFromRgba({ width: 0, height: 4, data: new Uint8Array(0) }, 80)).toThrow(invalid);
    expect(() => encodeJpegFromRgba({ width: 65536, height: 1, data: new Uint8Array(65536 * 4) }, 80)).toThrow(invalid);
  });
});

describe('encodeJpegFromYuvInSlices', () => {
  it('gives the bytes encodeJpegFromYuv gives, pausing after every 8 MCU rows (128 picture rows)', async () => {
    for (const [width, height, pauses] of [[16, 16, 0], [300, 128, 0], [300, 129, 1], [200, 600, 4]] as const) {
      const planes = rgbaToJfif420(texturedImage(width, height));
      let paused = 0;
      const sliced = await encodeJpegFromYuvInSlices(planes, 80, async () => {
        paused++;
      });
      expect(sha256(sliced), `${width}x${height}`).toBe(sha256(encodeJpegFromYuv(planes, 80)));
      expect(paused, `${width}x${height}`).toBe(pauses);
    }
  });

  it('lets other work run during the pauses (what a batch on the main thread relies on)', async () => {
    const planes = rgbaToJfif420(texturedImage(64, 512));
    const order: string[] = [];
    const encoding = encodeJpegFromYuvInSlices(planes, 80, () => new Promise((resolve) => setTimeout(resolve, 0))).then(() => order.push('encoded'));
    setTimeout(() => order.push('timer'), 0);
    await encoding;
    expect(order).toEqual(['timer', 'encoded']);
  });
});

describe('encodeJpegFromYuv', () => {
  it('equals encodeJpegFromRgba 4:2:0 byte for byte when given rgbaToJfif420 planes', () => {
    for (const [width, height] of [[1, 1], [37, 23], [64, 48], [17, 16]]) {
      const image = width === 37 ? pinnedInput() : texturedImage(width, height);
      for (const quality of [5, 80, 100]) {
        const viaRgba = encodeJpegFromRgba(image, quality, { subsampling: '4:2:0' });
        expect(sha256(encodeJpegFromYuv(rgbaToJfif420(image), quality)), `${width}x${height} q${quality}`).toBe(sha256(viaRgba));
      }
    }
  });

  it('honours strides: padded planes inside larger buffers give the same bytes', () => {
    const image = texturedImage(45, 29);
    const planes = rgbaToJfif420(image);
    const pad = (plane: Uint8Array, rowLength: number, rows: number, stride: number) => {
      const out = new Uint8Array(stride * rows + 7).fill(0xee); // garbage around the samples
      for (let r = 0; r < rows; r++) out.set(plane.subarray(r * rowLength, r * rowLength + rowLength), 3 + r * stride);
      return out.subarray(3);
    };
    const padded: JfifYcbcr420 = {
      width: 45,
      height: 29,
      y: pad(planes.y, 45, 29, 64),
      u: pad(planes.u, 23, 15, 40),
      v: pad(planes.v, 23, 15, 40),
      yStride: 64,
      uvStride: 40,
      chroma: '4:2:0',
    };
    expect(sha256(encodeJpegFromYuv(padded, 85))).toBe(sha256(encodeJpegFromYuv(planes, 85)));
  });

  it('rejects bad quality, chroma, sides, strides and short planes with invalid-argument', () => {
    const good = rgbaToJfif420(smoothImage(20, 10));
    const invalid = expect.objectContaining({ name: 'StillframeError', kind: 'invalid-argument' });
    expect(() => encodeJpegFromYuv(good, 80)).not.toThrow();
    expect(() => encodeJpegFromYuv(good, 0)).toThrow(invalid);
    const bad: Array<Partial<Record<keyof JfifYcbcr420, unknown>>> = [
      { chroma: '4:4:4' },
      { width: 0 },
      { width: 20.5 },
      { height: 70000 },
      { yStride: 19 },
      { uvStride: 9 },
      { y: good.y.subarray(1) },
      { u: good.u.subarray(0, 49) },
      { v: new Uint8Array(10) },
      { y: Array.from(good.y) },
    ];
    for (const change of bad) {
      expect(() => encodeJpegFromYuv({ ...good, ...change } as JfifYcbcr420, 80), JSON.stringify(Object.keys(change))).toThrow(invalid);
    }
  });
});

/** SHA-256 of `encodeJpegFromRgba(pinnedInput(), q, { subsampling })`. */
const PINNED: Record<string, string> = {
  '4:2:0 q10': '1ff5d011f6bf3a1a15c5efa238d9d6d10b2629b82b2eea009493fe4f74f58976',
  '4:4:4 q10': '9d4dbd0352e84a23c979b210d9168b5078aa38adc1d4f69fc07324324f8e770f',
  '4:2:0 q80': 'bc034bc2392c860b0813268b591e07781bd69358c233fb67bdc92752945e3b84',
  '4:4:4 q80': '25396418cacff3ece24bc3bb66c5f7044c52db92d3b88c69ff6ac75abc92ac3c',
  '4:2:0 q100': '48e4a40aaf7b17d02900b18b793a97ceb78767b4f1be8a4a63d82b85352f7b91',
  '4:4:4 q100': 'c2d1dce908e5fae47c0d67c51685b85b3b98e390c5b2a9f23dc970b3df612306',
};
