// Original file: protos/inference.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Memory usage.
 */
export interface MemoryUsage {
  /**
   * The type of memory, the value can be "CPU", "CPU_PINNED", "GPU".
   */
  'type'?: (string);
  /**
   * The id of the memory, typically used with "type" to identify a device
   * that hosts the memory.
   */
  'id'?: (number | string | Long);
  /**
   * The byte size of the memory.
   */
  'byte_size'?: (number | string | Long);
}

/**
 * Memory usage.
 */
export interface MemoryUsage__Output {
  /**
   * The type of memory, the value can be "CPU", "CPU_PINNED", "GPU".
   */
  'type': (string);
  /**
   * The id of the memory, typically used with "type" to identify a device
   * that hosts the memory.
   */
  'id': (string);
  /**
   * The byte size of the memory.
   */
  'byte_size': (string);
}
