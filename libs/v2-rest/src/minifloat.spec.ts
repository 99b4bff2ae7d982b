import { bf16BitsToNumber, fp16BitsToNumber, numberToBf16Bits, numberToFp16Bits } from './minifloat';

describe('FP16', () => {
  it.each([
    [0, 0x0000],
    [-0, 0x8000],
    [1, 0x3c00],
    [-2, 0xc000],
    [65504, 0x7bff],
    [-65504, 0xfbff],
    [0.1, 0x2e66],
    [2 ** -14, 0x0400], // smallest normal
    [2 ** -24, 0x0001], // smallest subnormal
    [1023 * 2 ** -24, 0x03ff], // largest subnormal
    [2 ** -25, 0x0000], // tie between 0 and the smallest subnormal: to even (0)
    [3 * 2 ** -25, 0x0002], // tie between subnormals 1 and 2: to even (2)
    [1 + 2 ** -11, 0x3c00], // tie between 1 and 1+2^-10: to even (1)
    [1 + 3 * 2 ** -11, 0x3c02], // tie between 1+2^-10 and 1+2^-9: to even
    [1 + 2 ** -11 + 2 ** -30, 0x3c01], // just above the tie rounds up
    [65519, 0x7bff], // below the overflow midpoint
    [65520, 0x7c00], // the midpoint rounds to even, which is Infinity
    [Infinity, 0x7c00],
    [-Infinity, 0xfc00],
    [2047.5, 0x6800], // spacing is 1 in [1024, 2048): a tie between 2047 and 2048, to even (2048)
  ])('%p → %p', (value, bits) => {
    expect(numberToFp16Bits(value)).toBe(bits);
  });

  it('encodes NaN as the quiet NaN and decodes every finite pattern back to itself', () => {
    expect(numberToFp16Bits(NaN)).toBe(0x7e00);
    expect(fp16BitsToNumber(0x7e00)).toBeNaN();
    const mismatches: number[] = [];
    for (let bits = 0; bits < 0x10000; bits += 1) {
      if ((bits & 0x7c00) !== 0x7c00 && numberToFp16Bits(fp16BitsToNumber(bits)) !== bits) mismatches.push(bits);
    }
    expect(mismatches).toEqual([]);
  });

  it('decodes the reference values', () => {
    expect(fp16BitsToNumber(0x3c00)).toBe(1);
    expect(fp16BitsToNumber(0xc000)).toBe(-2);
    expect(fp16BitsToNumber(0x7bff)).toBe(65504);
    expect(fp16BitsToNumber(0x0001)).toBe(2 ** -24);
    expect(fp16BitsToNumber(0x7c00)).toBe(Infinity);
    expect(Object.is(fp16BitsToNumber(0x8000), -0)).toBe(true);
  });
});

describe('BF16', () => {
  it('rounds to nearest even and round-trips', () => {
    expect(numberToBf16Bits(1)).toBe(0x3f80);
    expect(numberToBf16Bits(-2)).toBe(0xc000);
    expect(numberToBf16Bits(1 + 2 ** -8)).toBe(0x3f80); // tie → even
    expect(numberToBf16Bits(1 + 3 * 2 ** -8)).toBe(0x3f82);
    expect(bf16BitsToNumber(0x3f80)).toBe(1);
    expect(bf16BitsToNumber(numberToBf16Bits(3.140625))).toBe(3.140625);
  });
});
