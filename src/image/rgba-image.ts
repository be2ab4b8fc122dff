/** An 8-bit RGBA picture: `data.length === width * height * 4`, rows top to bottom, no padding. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}
