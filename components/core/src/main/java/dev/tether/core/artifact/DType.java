package dev.tether.core.artifact;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The safetensors element types tether reads and writes; the constant names are the header's names. */
public enum DType {
  F32(4),
  F16(2),
  BF16(2),
  I32(4),
  I64(8),
  U8(1),
  BOOL(1);

  private final int byteSize;

  DType(int byteSize) {
    this.byteSize = byteSize;
  }

  public int byteSize() {
    return byteSize;
  }

  /** The name written in the safetensors header ("F32", "BF16", ...). */
  public String headerName() {
    return name();
  }

  public boolean isFloatingPoint() {
    return this == F32 || this == F16 || this == BF16;
  }

  /** The type for a header name, empty for names this reader does not support (F64, I8, F8_E4M3, ...). */
  public static Optional<DType> fromHeaderName(String name) {
    return Arrays.stream(values()).filter(d -> d.name().equals(name)).findFirst();
  }

  static String supportedNames() {
    return Arrays.stream(values()).map(DType::name).collect(Collectors.joining(", "));
  }
}
