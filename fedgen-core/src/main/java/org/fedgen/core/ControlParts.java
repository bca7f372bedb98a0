package org.fedgen.core;

/**
 * How SCAFFOLD's control variates are named where they travel with model parts: a client's change of control Δc_i for
 * part {@code p} rides in its update as part {@code scaffold.control/p}, and the client keeps its control c_i in its
 * store under the same name (so a simulation's checkpoint holds it as client state). The prefix cannot clash with a
 * model's part names, which have no slash.
 */
public final class ControlParts {
    /** The prefix of every control part name. */
    public static final String PREFIX = "scaffold.control/";

    private ControlParts() {
    }

    /** The control part of model part {@code part}. */
    public static String of(String part) {
        return PREFIX + part;
    }

    /** Whether {@code name} names a control part. */
    public static boolean isControl(String name) {
        return name.startsWith(PREFIX);
    }

    /** The model part a control part belongs to. */
    public static String modelPart(String controlName) {
        if (!isControl(controlName)) {
            throw new IllegalArgumentException("'" + controlName + "' is not a control part (" + PREFIX + "...)");
        }
        return controlName.substring(PREFIX.length());
    }
}
