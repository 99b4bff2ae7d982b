/**
 * Conversions between JavaScript numbers and the 16-bit floating-point formats of the protocol:
 * FP16 (IEEE 754 binary16) and BF16 (bfloat16). Both round to nearest, ties to even, straight from
 * the double (rounding through float32 first would round twice and can miss a tie).
 */

interface Format {
  /** Exponent bits. */
  readonly exponentBits: number;
  /** Stored mantissa (fraction) bits. */
  readonly mantissaBits: number;
}

const FP16: Format = { exponentBits: 5, mantissaBits: 10 };
const BF16: Format = { exponentBits: 8, mantissaBits: 7 };

/** Largest finite FP16 value. */
export const FP16_MAX = 65504;

function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const rest = x - floor;
  if (rest > 0.5) return floor + 1;
  if (rest < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

function toBits(value: number, format: Format): number {
  const { exponentBits, mantissaBits } = format;
  const signBit = 1 << (exponentBits + mantissaBits);
  const exponentMask = (1 << exponentBits) - 1;
  const infinity = exponentMask << mantissaBits;
  if (Number.isNaN(value)) return infinity | (1 << (mantissaBits - 1)); // the canonical quiet NaN
  const sign = value < 0 || Object.is(value, -0) ? signBit : 0;
  const magnitude = Math.abs(value);
  const bias = exponentMask >> 1;
  const minNormalExponent = 1 - bias;
  if (magnitude < 2 ** minNormalExponent) {
    // Subnormal (or zero): a multiple of the smallest subnormal. A result of 2^mantissaBits is the
    // smallest normal number, which this encoding also produces correctly.
    return sign | roundHalfEven(magnitude / 2 ** (minNormalExponent - mantissaBits));
  }
  let exponent = Math.floor(Math.log2(magnitude));
  // Math.log2 may be off by one next to powers of two; settle the exponent exactly.
  if (2 ** exponent > magnitude) exponent -= 1;
  else if (2 ** (exponent + 1) <= magnitude) exponent += 1;
  let mantissa = roundHalfEven((magnitude / 2 ** exponent - 1) * 2 ** mantissaBits);
  if (mantissa === 2 ** mantissaBits) {
    mantissa = 0;
    exponent += 1;
  }
  if (exponent > bias) return sign | infinity;
  return sign | ((exponent + bias) << mantissaBits) | mantissa;
}

function fromBits(bits: number, format: Format): number {
  const { exponentBits, mantissaBits } = format;
  const exponentMask = (1 << exponentBits) - 1;
  const bias = exponentMask >> 1;
  const sign = bits & (1 << (exponentBits + mantissaBits)) ? -1 : 1;
  const exponent = (bits >> mantissaBits) & exponentMask;
  const mantissa = bits & ((1 << mantissaBits) - 1);
  if (exponent === exponentMask) return mantissa === 0 ? sign * Infinity : NaN;
  if (exponent === 0) return sign * mantissa * 2 ** (1 - bias - mantissaBits);
  return sign * (1 + mantissa / 2 ** mantissaBits) * 2 ** (exponent - bias);
}

/** The FP16 bit pattern nearest `value` (ties to even); beyond ±65504 rounds to ±Infinity as IEEE does. */
export function numberToFp16Bits(value: number): number {
  return toBits(value, FP16);
}

/** The number an FP16 bit pattern holds. */
export function fp16BitsToNumber(bits: number): number {
  return fromBits(bits, FP16);
}

/** The BF16 bit pattern nearest `value` (ties to even). */
export function numberToBf16Bits(value: number): number {
  return toBits(value, BF16);
}

/** The number a BF16 bit pattern holds. */
export function bf16BitsToNumber(bits: number): number {
  return fromBits(bits, BF16);
}
