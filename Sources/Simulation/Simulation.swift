/// The HPA controller's sync loop replayed over a load trace (see docs/simulate.md).
public enum Simulation {}
