/**
 * Byte-exact flyweight codecs of the iommufd uAPI structs the VMM passes to the host
 * (vcmdq-viommu.md §3): little-endian fields over Agrona buffers, offsets and sizes as the kernel's
 * {@code include/uapi/linux/iommufd.h} lays them out, so a real-kernel backend can pass the same bytes to
 * {@code ioctl}. Owns nothing else; no allocation after the flyweight exists.
 */
package dev.cmdq.vcmdq.host.uapi;
