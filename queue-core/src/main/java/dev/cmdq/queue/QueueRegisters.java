package dev.cmdq.queue;

/**
 * The four registers of one command queue — PROD, CONS (with ERR at bits 30:24), GERROR and
 * GERRORN — as the producer and the device see them. This is the queue's "MMIO": producers and the
 * guest driver model talk only to this interface, so the same code runs against mapped registers
 * (plain off-heap words) and trapping registers (every access is a VM exit into the VMM's handler).
 *
 * <p>Ordering: every read has acquire and every write release semantics, which is what an MMIO access
 * with the kernel's barriers gives: a PROD write publishes the entries written before it, a CONS read
 * orders the producer's later reuse of consumed slots after it.
 */
public interface QueueRegisters
{
    /**
     * @return CMDQ_PROD (index and wrap).
     */
    int getProdAcquire();

    /**
     * @param value new CMDQ_PROD; publishes every entry before it.
     */
    void putProdRelease(int value);

    /**
     * @return CMDQ_CONS (index, wrap and ERR).
     */
    int getConsAcquire();

    /**
     * @param value new CMDQ_CONS (written by the device, or by software at initialisation).
     */
    void putConsRelease(int value);

    /**
     * @return GERROR.
     */
    int getGerrorAcquire();

    /**
     * @param value new GERROR (device side).
     */
    void putGerrorRelease(int value);

    /**
     * @return GERRORN.
     */
    int getGerrornAcquire();

    /**
     * @param value new GERRORN (software side: the acknowledge).
     */
    void putGerrornRelease(int value);
}
