import java.io.*;
import java.util.*;
import com.yahoo.labs.samoa.instances.*;
import moa.classifiers.trees.HoeffdingTree;
import moa.streams.generators.RandomRBFGeneratorDrift;

/**
 * Real MOA Hoeffding trees (and MOA's own RBF generator) behind a line protocol on stdin/stdout, so that the
 * DriftMoE authors' Python code can run against MOA without CapyMOA's JVM bridge (not installable here).
 *
 * Started as `MoaTreeServer <file.arff>` (every instance of the file, class last) or
 * `MoaTreeServer rbf <seed> <speed>` (RandomRBFGeneratorDrift as CapyMOA 0.10 builds it with the authors'
 * arguments: 2 classes, 10 attributes, 50 centroids, all 50 drifting, model and instance seed = seed).
 *
 *   C                       number of instances (Integer.MAX_VALUE for a generator)
 *   D                       every file instance, one "x... y" line each (x values, class index)
 *   G                       next generated instance: "<i> x... y" (the last few are kept for the trees)
 *   R                       restart the generator
 *   N <g> <c> <t> <l> <b> <p>  new HoeffdingTree: grace, split confidence, tie threshold, leaf prediction
 *                           index (2 = NBAdaptive), binary splits 0|1, no pre-prune 0|1; replies its id
 *   A <i>                   votes of every tree for instance i, trees separated by '|'
 *   V <id> <i>              votes of one tree
 *   t <id> <i>              train tree id on instance i (no reply: the pipe keeps the order)
 */
public class MoaTreeServer {
  /** Generated instances older than this are dropped (the caller only refers to the current one). */
  private static final int KEEP = 4;

  public static void main(String[] args) throws Exception {
    List<Instance> all = new ArrayList<>();
    InstancesHeader header;
    RandomRBFGeneratorDrift gen = null;
    if (args[0].equals("rbf")) {
      gen = new RandomRBFGeneratorDrift();
      gen.modelRandomSeedOption.setValue(Integer.parseInt(args[1]));
      gen.instanceRandomSeedOption.setValue(Integer.parseInt(args[1]));
      gen.numClassesOption.setValue(2);
      gen.numAttsOption.setValue(10);
      gen.numCentroidsOption.setValue(50);
      gen.numDriftCentroidsOption.setValue(50);
      gen.speedChangeOption.setValue(Double.parseDouble(args[2]));
      gen.prepareForUse();
      header = gen.getHeader();
    } else {
      BufferedReader file = new BufferedReader(new FileReader(args[0]));
      Instances data = new Instances(file, 1, -1);
      data.setClassIndex(data.numAttributes() - 1);
      while (data.readInstance(file)) {
        all.add(data.instance(data.numInstances() - 1));
        data.delete();
      }
      header = new InstancesHeader(data);
    }
    List<HoeffdingTree> trees = new ArrayList<>();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in), 1 << 16);
    PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out), 1 << 16));
    String line;
    while ((line = in.readLine()) != null) {
      String[] p = line.split(" ");
      switch (p[0]) {
        case "C": out.println(gen != null ? Integer.MAX_VALUE : all.size()); break;
        case "D": for (Instance inst : all) out.println(describe(inst)); break;
        case "G": {
          all.add(gen.nextInstance().getData());
          int i = all.size() - 1;
          if (i >= KEEP) all.set(i - KEEP, null);
          out.println(i + " " + describe(all.get(i)));
          break;
        }
        case "R": gen.restart(); out.println("ok"); break;
        case "N": {
          HoeffdingTree t = new HoeffdingTree();
          t.gracePeriodOption.setValue(Integer.parseInt(p[1]));
          t.splitConfidenceOption.setValue(Double.parseDouble(p[2]));
          t.tieThresholdOption.setValue(Double.parseDouble(p[3]));
          t.leafpredictionOption.setChosenIndex(Integer.parseInt(p[4]));
          t.binarySplitsOption.setValue(p[5].equals("1"));
          t.noPrePruneOption.setValue(p[6].equals("1"));
          t.stopMemManagementOption.setValue(false);
          t.setModelContext(header);
          t.prepareForUse();
          trees.add(t);
          out.println(trees.size() - 1);
          break;
        }
        case "A": {
          Instance inst = all.get(Integer.parseInt(p[1]));
          StringBuilder sb = new StringBuilder();
          for (int k = 0; k < trees.size(); k++) {
            if (k > 0) sb.append('|');
            appendVotes(sb, trees.get(k).getVotesForInstance(inst));
          }
          out.println(sb);
          break;
        }
        case "V": {
          StringBuilder sb = new StringBuilder();
          appendVotes(sb, trees.get(Integer.parseInt(p[1])).getVotesForInstance(all.get(Integer.parseInt(p[2]))));
          out.println(sb);
          break;
        }
        case "t": trees.get(Integer.parseInt(p[1])).trainOnInstance(all.get(Integer.parseInt(p[2]))); continue;
        default: out.println("ERR unknown command: " + line);
      }
      out.flush();
    }
  }

  /** Double.toString round-trips exactly through Python's float(). */
  private static void appendVotes(StringBuilder sb, double[] v) {
    for (int c = 0; c < v.length; c++) {
      if (c > 0) sb.append(' ');
      sb.append(v[c]);
    }
  }

  private static String describe(Instance inst) {
    StringBuilder sb = new StringBuilder();
    for (int a = 0; a < inst.numAttributes() - 1; a++) sb.append(inst.value(a)).append(' ');
    return sb.append((int) inst.classValue()).toString();
  }
}
