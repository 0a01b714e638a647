/**
 * {@link dev.aioops.examples.checksum.ByteChecksummer} sums bytes read through whichever adapter the application
 * chose; {@link dev.aioops.examples.checksum.ByteSum} is the result, comparable with a plain Java loop.
 */
package dev.aioops.examples.checksum;
