/**
 * A kit for users' own property-based tests: jqwik arbitraries over the operation vocabulary, a session checked after
 * every operation, and a ready stateful property ({@link io.github.meshalloc.tracking.kit.BalanceProperty}). Needs
 * jqwik on the test classpath (meshalloc declares it optional).
 */
package io.github.meshalloc.tracking.kit;
