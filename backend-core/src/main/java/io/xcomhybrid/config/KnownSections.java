package io.xcomhybrid.config;

import java.util.Collection;
import java.util.Set;

/**
 * Maps the section part of an {@code AIRFLOW__SECTION__KEY} variable back to a section name that may contain dots,
 * for listing settings. Lookups do not need this: they compute the variable name from the section.
 */
final class KnownSections
{
    private static final Set<String> DOTTED = Set.of("common.io");

    private KnownSections() {}

    static String fromEnvironmentName(String envSection, Collection<String> fileSections)
    {
        for (String dotted : DOTTED) {
            if (dotted.replace('.', '_').equals(envSection)) {
                return dotted;
            }
        }
        for (String section : fileSections) {
            if (section.replace('.', '_').equals(envSection)) {
                return section;
            }
        }
        return envSection;
    }
}
