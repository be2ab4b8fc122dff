import { describe, expect, it } from 'vitest';
import { RbspReader } from '../../src/codec/rbsp.js';
import { BitWriter } from './helpers/bytes.js';

describe('RbspReader', () => {
  it('drops emulation prevention bytes (0x03 after two zeros) and nothing else', () => {
    const unit = new Uint8Array([0x06, 0x00, 0x00, 0x03, 0x01, 0x00, 0x00, 0x03, 0x00, 0x03, 0x00, 0x00]);
    const reader = new RbspReader(unit, 1);
    const out: number[] = [];
    for (let b = reader.readByte(); b >= 0; b = reader.readByte()) out.push(b);
    // 00 00 [03] 01 | 00 00 [03] 00 | 03 (no two zeros before it: data) | 00 00
    expect(out).toEqual([0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00]);
  });

  it('reads Exp-Golomb values, including across emulation prevention bytes', () => {
    const values = [0, 1, 2, 7, 30, 255, 65_534];
    const w = new BitWriter();
    for (const v of values) w.ue(v);
    const reader = new RbspReader(new Uint8Array([0x01, ...w.trailing().bytes()]), 1);
    expect(values.map(() => reader.readUe())).toEqual(values);
    // RBSP 00 00 01 00 00 01 (each 00 00 stored with an EPB): 23 zero bits, the one, then
    // a 23-bit suffix of zeros, so ue = 2^23 - 1; the last bit (1) is left over.
    const epb = new RbspReader(new Uint8Array([0x00, 0x00, 0x03, 0x01, 0x00, 0x00, 0x03, 0x01]), 0);
    expect(epb.readUe()).toBe(2 ** 23 - 1);
    expect(epb.readBit()).toBe(1);
    expect(epb.readBit()).toBe(-1);
  });

  it('returns -1 / undefined at the end, and rejects codes longer than 31 zeros', () => {
    const reader = new RbspReader(new Uint8Array([0x01]), 1);
    expect(reader.readByte()).toBe(-1);
    expect(reader.readBit()).toBe(-1);
    expect(reader.readUe()).toBeUndefined();
    expect(new RbspReader(new Uint8Array([0, 0, 0, 0]), 0).readUe()).toBeUndefined();
    expect(new RbspReader(new Uint8Array([0x00, 0x00, 0x01, 0x00, 0x00]), 0).readUe()).toBeUndefined();
    expect(new RbspReader(new Uint8Array([0xff]), 0).skipBytes(2)).toBe(false);
  });
});

describe('RbspReader fixed-width and signed fields', () => {
  it('reads u(n) MSB first and se(v) as 0, 1, -1, 2, -2, …', () => {
    const w = new BitWriter();
    w.put(0b101, 3);
    for (const code of [0, 1, 2, 3, 4]) w.ue(code);
    const reader = new RbspReader(new Uint8Array([0x01, ...w.trailing().bytes()]), 1);
    expect(reader.readBits(3)).toBe(0b101);
    expect([0, 1, 2, 3, 4].map(() => reader.readSe())).toEqual([0, 1, -1, 2, -2]);
    expect(new RbspReader(new Uint8Array([0xff]), 0).readBits(9)).toBe(-1);
  });
});
