package dev.tether.core.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class TensorTest {

  @Test
  void factoriesStoreLittleEndianBytes() {
    Tensor t = Tensor.ofInts("ids", new long[] {2}, new int[] {1, 0x01020304});
    byte[] bytes = new byte[8];
    t.data().get(bytes);
    assertThat(bytes).containsExactly(1, 0, 0, 0, 4, 3, 2, 1);
    assertThat(t.numel()).isEqualTo(2);
  }

  @Test
  void halfPrecisionFactoriesRoundAndWidenBack() {
    Tensor f16 = Tensor.ofFloats("h", new long[] {3}, new float[] {1f, -2f, 0.1f}, DType.F16);
    assertThat(f16.data().getShort(4)).isEqualTo((short) 0x2E66);
    assertThat(f16.toFloats()).containsExactly(1f, -2f, 0.0999755859375f);
    Tensor bf16 = Tensor.ofFloats("b", new long[] {1}, new float[] {3.14159f}, DType.BF16);
    assertThat(bf16.toFloats()).containsExactly(3.140625f);
  }

  @Test
  void integerTypesConvertWhereTheValueFits() {
    Tensor longs = Tensor.ofLongs("pos", new long[] {2}, new long[] {-5, 7});
    assertThat(longs.toInts()).containsExactly(-5, 7);
    assertThat(longs.toFloats()).containsExactly(-5f, 7f);
    Tensor u8 = Tensor.ofBytes("px", new long[] {2}, new byte[] {(byte) 255, 1}, DType.U8);
    assertThat(u8.toInts()).containsExactly(255, 1);
    assertThat(u8.toLongs()).containsExactly(255L, 1L);
    Tensor ints = Tensor.ofInts("mask", new long[] {3}, new int[] {1, 0, 1});
    assertThat(ints.toBools()).containsExactly(true, false, true);
    assertThat(ints.toLongs()).containsExactly(1L, 0L, 1L);
  }

  @Test
  void anI64ValueOutsideInt32IsRefusedWithItsIndex() {
    Tensor t = Tensor.ofLongs("pos", new long[] {2}, new long[] {1, 1L << 40});
    assertThatThrownBy(t::toInts)
        .isInstanceOf(ArtifactException.class)
        .hasMessage("tensor 'pos': I64 value 1099511627776 at flat index 1 does not fit in int32");
  }

  @Test
  void floatsAreNotReadAsIntegersOrBools() {
    Tensor t = Tensor.ofFloats("logprobs", new long[] {1}, new float[] {0.5f});
    assertThatThrownBy(t::toInts).hasMessageContaining("'logprobs'").hasMessageContaining("F32");
    assertThatThrownBy(t::toBools).hasMessageContaining("'logprobs'");
  }

  @Test
  void aMaskWithValuesOtherThanZeroOrOneIsRefused() {
    Tensor ids = Tensor.ofInts("query_mask", new long[] {2}, new int[] {1, 101});
    assertThatThrownBy(ids::toBools)
        .hasMessage("tensor 'query_mask': expected 0 or 1 at flat index 1, found 101");
    Tensor badBool = Tensor.ofBytes("m", new long[] {1}, new byte[] {2}, DType.BOOL);
    assertThatThrownBy(badBool::toBools).hasMessageContaining("found 2");
  }

  @Test
  void valueCountMustMatchTheShape() {
    assertThatThrownBy(() -> Tensor.ofFloats("x", new long[] {2, 3}, new float[5]))
        .hasMessage("tensor 'x': shape [2, 3] has 6 elements, found 5 values");
    assertThatThrownBy(() -> new Tensor("x", DType.I64, new long[] {2}, ByteBuffer.allocate(12)))
        .hasMessage("tensor 'x': I64 [2] needs 16 bytes, found 12");
    assertThatThrownBy(() -> Tensor.ofInts("x", new long[] {-1}, new int[0]))
        .hasMessageContaining("negative dimension");
    assertThatThrownBy(() -> Tensor.ofBools("x", new long[] {1}, new boolean[0]))
        .isInstanceOf(ArtifactException.class);
  }

  @Test
  void onlyFloatTypesAcceptFloats() {
    assertThatThrownBy(() -> Tensor.ofFloats("x", new long[] {1}, new float[1], DType.I32))
        .hasMessageContaining("not I32");
  }

  @Test
  void equalityIsByContentAndCallersCannotMutateIt() {
    long[] shape = {2};
    Tensor a = Tensor.ofFloats("x", shape, new float[] {1f, 2f});
    shape[0] = 99;
    a.shape()[0] = 99;
    assertThat(a.shape()).containsExactly(2L);
    Tensor b = Tensor.ofFloats("x", new long[] {2}, new float[] {1f, 2f});
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(Tensor.ofFloats("x", new long[] {2}, new float[] {1f, 3f}));
    assertThat(a).isNotEqualTo(Tensor.ofFloats("x", new long[] {1, 2}, new float[] {1f, 2f}));
    assertThat(a.data().isReadOnly()).isTrue();
    ByteBuffer view = a.data();
    view.position(4);
    assertThat(a.data().position()).isZero();
    assertThat(a.toString()).isEqualTo("Tensor[x, F32, [2], 8 bytes]");
  }

  @Test
  void zeroElementTensorsAreAllowed() {
    Tensor empty = Tensor.ofFloats("e", new long[] {0, 4}, new float[0]);
    assertThat(empty.numel()).isZero();
    assertThat(empty.toFloats()).isEmpty();
  }
}
