/**
 * The implementation of the epoll adapter; not exported.
 */
package dev.aioops.epoll.internal;
