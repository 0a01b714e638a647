/**
 * The implementation of the NIO.2 channels on aioops; not exported.
 */
package dev.aioops.nio2.internal;
