package dev.tether.core.artifact;

/**
 * IEEE 754 half precision (F16) and bfloat16 (BF16) bit patterns to and from float.
 *
 * <p>Narrowing rounds to nearest, ties to even, as numpy's {@code astype(float16)} and torch's
 * {@code .to(torch.bfloat16)} do, so files written here match files written in Python bit for bit.
 * NaN stays NaN (quiet); overflow becomes infinity.
 */
public final class HalfFloats {

  private HalfFloats() {}

  public static float f16ToFloat(short bits) {
    int h = bits & 0xFFFF;
    int sign = (h & 0x8000) << 16;
    int exponent = (h >>> 10) & 0x1F;
    int mantissa = h & 0x3FF;
    if (exponent == 0x1F) {
      return Float.intBitsToFloat(sign | 0x7F80_0000 | (mantissa << 13));
    }
    if (exponent == 0) {
      // Subnormal: mantissa × 2^-24, exact in float.
      float magnitude = mantissa * 0x1p-24f;
      return sign != 0 ? -magnitude : magnitude;
    }
    // Rebias the exponent from 15 to 127.
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }

  public static short floatToF16(float value) {
    int x = Float.floatToRawIntBits(value);
    int sign = (x >>> 16) & 0x8000;
    int exponent = (x >>> 23) & 0xFF;
    int mantissa = x & 0x7F_FFFF;
    if (exponent == 0xFF) {
      return (short) (mantissa == 0 ? sign | 0x7C00 : sign | 0x7E00 | (mantissa >>> 13));
    }
    int halfExponent = exponent - 127 + 15;
    if (halfExponent >= 0x1F) {
      return (short) (sign | 0x7C00);
    }
    if (halfExponent <= 0) {
      // Half subnormal: the 24-bit significand shifted down to units of 2^-24.
      int shift = 14 - halfExponent;
      if (shift > 24) {
        return (short) sign;
      }
      return (short) (sign | roundShift(mantissa | 0x80_0000, shift));
    }
    // A carry out of the mantissa correctly bumps the exponent (up to infinity).
    int rounded = roundShift((halfExponent << 23) | mantissa, 13);
    return (short) (sign | rounded);
  }

  public static float bf16ToFloat(short bits) {
    return Float.intBitsToFloat((bits & 0xFFFF) << 16);
  }

  public static short floatToBf16(float value) {
    int x = Float.floatToRawIntBits(value);
    if (Float.isNaN(value)) {
      return (short) ((x >>> 16) | 0x40);
    }
    int lsb = (x >>> 16) & 1;
    return (short) ((x + 0x7FFF + lsb) >>> 16);
  }

  private static int roundShift(int value, int shift) {
    int kept = value >>> shift;
    int rest = value & ((1 << shift) - 1);
    int half = 1 << (shift - 1);
    if (rest > half || (rest == half && (kept & 1) == 1)) {
      kept++;
    }
    return kept;
  }
}
