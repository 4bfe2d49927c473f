/// Generates a synthetic département (reference files and logs) in the formats of SPEC §1.
public enum Simulator {}
