package dev.tether.core.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HalfFloatsTest {

  @Test
  void f16BitPatternsWidenToTheirHandWorkedValues() {
    assertThat(HalfFloats.f16ToFloat((short) 0x3C00)).isEqualTo(1.0f);
    assertThat(HalfFloats.f16ToFloat((short) 0xC000)).isEqualTo(-2.0f);
    assertThat(HalfFloats.f16ToFloat((short) 0x7BFF)).isEqualTo(65504.0f);
    assertThat(HalfFloats.f16ToFloat((short) 0x3555)).isEqualTo(0.333251953125f);
    // Smallest subnormal 2^-24, largest subnormal 1023 × 2^-24, smallest normal 2^-14.
    assertThat(HalfFloats.f16ToFloat((short) 0x0001)).isEqualTo(0x1p-24f);
    assertThat(HalfFloats.f16ToFloat((short) 0x03FF)).isEqualTo(1023 * 0x1p-24f);
    assertThat(HalfFloats.f16ToFloat((short) 0x0400)).isEqualTo(0x1p-14f);
    assertThat(HalfFloats.f16ToFloat((short) 0x8001)).isEqualTo(-0x1p-24f);
    assertThat(Float.floatToRawIntBits(HalfFloats.f16ToFloat((short) 0x8000)))
        .isEqualTo(Float.floatToRawIntBits(-0.0f));
    assertThat(HalfFloats.f16ToFloat((short) 0x7C00)).isEqualTo(Float.POSITIVE_INFINITY);
    assertThat(HalfFloats.f16ToFloat((short) 0xFC00)).isEqualTo(Float.NEGATIVE_INFINITY);
    assertThat(HalfFloats.f16ToFloat((short) 0x7E00)).isNaN();
  }

  @Test
  void bf16BitPatternsWidenToTheirHandWorkedValues() {
    assertThat(HalfFloats.bf16ToFloat((short) 0x3F80)).isEqualTo(1.0f);
    assertThat(HalfFloats.bf16ToFloat((short) 0xC000)).isEqualTo(-2.0f);
    assertThat(HalfFloats.bf16ToFloat((short) 0x4049)).isEqualTo(3.140625f);
    assertThat(HalfFloats.bf16ToFloat((short) 0x7F80)).isEqualTo(Float.POSITIVE_INFINITY);
    assertThat(HalfFloats.bf16ToFloat((short) 0x0001)).isEqualTo(Float.intBitsToFloat(0x10000));
  }

  @Test
  void everyF16ValueSurvivesARoundTripThroughFloat() {
    for (int bits = 0; bits <= 0xFFFF; bits++) {
      float f = HalfFloats.f16ToFloat((short) bits);
      short back = HalfFloats.floatToF16(f);
      if (Float.isNaN(f)) {
        assertThat(HalfFloats.f16ToFloat(back)).isNaN();
      } else {
        assertThat(back & 0xFFFF).as("bits %04x", bits).isEqualTo(bits);
      }
    }
  }

  @Test
  void everyBf16ValueSurvivesARoundTripThroughFloat() {
    for (int bits = 0; bits <= 0xFFFF; bits++) {
      float f = HalfFloats.bf16ToFloat((short) bits);
      if (!Float.isNaN(f)) {
        assertThat(HalfFloats.floatToBf16(f) & 0xFFFF).isEqualTo(bits);
      }
    }
  }

  @Test
  void f16NarrowingRoundsToNearestEven() {
    // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: ties go to the even mantissa, 1.
    assertThat(HalfFloats.floatToF16(1.0f + 0x1p-11f)).isEqualTo((short) 0x3C00);
    // 1 + 3 × 2^-11 is halfway between 1 + 2^-10 (odd) and 1 + 2^-9 (even).
    assertThat(HalfFloats.floatToF16(1.0f + 3 * 0x1p-11f)).isEqualTo((short) 0x3C02);
    // Just above halfway rounds up.
    assertThat(HalfFloats.floatToF16(Math.nextUp(1.0f + 0x1p-11f))).isEqualTo((short) 0x3C01);
    assertThat(HalfFloats.floatToF16(0.1f)).isEqualTo((short) 0x2E66);
    // 65520 is halfway to the next (unrepresentable) step: overflows to infinity, as numpy does.
    assertThat(HalfFloats.floatToF16(65519f)).isEqualTo((short) 0x7BFF);
    assertThat(HalfFloats.floatToF16(65520f)).isEqualTo((short) 0x7C00);
    assertThat(HalfFloats.floatToF16(1e10f)).isEqualTo((short) 0x7C00);
    assertThat(HalfFloats.floatToF16(Float.NaN) & 0x7C00).isEqualTo(0x7C00);
    assertThat(HalfFloats.floatToF16(Float.NaN) & 0x03FF).isNotZero();
  }

  @Test
  void f16NarrowingRoundsIntoAndOutOfSubnormals() {
    // 2^-25 is exactly half the smallest subnormal: ties to even gives zero.
    assertThat(HalfFloats.floatToF16(0x1p-25f)).isEqualTo((short) 0x0000);
    assertThat(HalfFloats.floatToF16(Math.nextUp(0x1p-25f))).isEqualTo((short) 0x0001);
    // 1.5 × 2^-24 is a tie between subnormals 1 (odd) and 2 (even).
    assertThat(HalfFloats.floatToF16(1.5f * 0x1p-24f)).isEqualTo((short) 0x0002);
    // The largest subnormal plus half a step rounds up into the smallest normal.
    assertThat(HalfFloats.floatToF16(1023.5f * 0x1p-24f)).isEqualTo((short) 0x0400);
    assertThat(HalfFloats.floatToF16(-0x1p-24f)).isEqualTo((short) 0x8001);
    assertThat(HalfFloats.floatToF16(1e-10f)).isEqualTo((short) 0x0000);
  }

  @Test
  void bf16NarrowingRoundsToNearestEven() {
    // 1 + 2^-8 is halfway between 1 (even) and 1 + 2^-7.
    assertThat(HalfFloats.floatToBf16(1.0f + 0x1p-8f)).isEqualTo((short) 0x3F80);
    assertThat(HalfFloats.floatToBf16(1.0f + 3 * 0x1p-8f)).isEqualTo((short) 0x3F82);
    assertThat(HalfFloats.floatToBf16(3.14159f)).isEqualTo((short) 0x4049);
    assertThat(HalfFloats.floatToBf16(Float.MAX_VALUE)).isEqualTo((short) 0x7F80);
    assertThat(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(Float.NaN))).isNaN();
  }
}
