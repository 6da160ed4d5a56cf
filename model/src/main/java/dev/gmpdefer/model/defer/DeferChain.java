package dev.gmpdefer.model.defer;

/**
 * Placeholder for a G's defer chain ({@code g._defer}); the defer issue replaces it.
 */
public class DeferChain {
}
