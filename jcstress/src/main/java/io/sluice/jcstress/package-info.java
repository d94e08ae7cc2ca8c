/**
 * jcstress tests of the lock-free structures (run with {@code scripts/jcstress}): each names its racing actors and
 * marks every outcome that would break the structure's invariant FORBIDDEN.
 */
package io.sluice.jcstress;
