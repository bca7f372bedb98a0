package org.fedgen.runs;

/**
 * The model family of a run and its hyperparameters: {@link VaeSettings}, {@link GanSettings} or {@link DdpmSettings}.
 */
public sealed interface ModelSettings permits VaeSettings, GanSettings, DdpmSettings {
    /** The family's short name, used in default output directories ({@code vae}, {@code gan}, {@code ddpm}). */
    String family();
}
