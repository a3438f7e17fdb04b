package io.github.meshalloc.mesh.rules;

/**
 * Whether a program releases the buffers it keeps alive when it is destroyed.
 *
 * <p>Variation point at C++ {@code Program::~Program()} ({@code tt_metal/impl/program/program.cpp}),
 * seed 003 fix #1.
 */
public enum ProgramBufferPoolRelease {
    /** The pool's buffers are never released: they stay allocated after the program is gone. */
    NEVER,
    /** Seed 003 fix #1: {@code release_buffers()} in the destructor drops the pool's references. */
    AT_DESTRUCTION
}
