package sizeof.agent;

/**
 * Stand-in for the sizeofag java agent MOA measures object sizes with. Sizes only drive a Hoeffding tree's
 * memory limit (32 MB), checked every 1,000,000 training instances of one tree: a DriftMoE expert gets there
 * at most once, at the very end of a 1M-instance stream, so the stand-in cannot change a reported accuracy.
 */
public class SizeOfAgent {
  public static long sizeOf(Object o) { return 64; }
  public static long fullSizeOf(Object o) { return 64; }
}
