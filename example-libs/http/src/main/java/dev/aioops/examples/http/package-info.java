/**
 * {@link dev.aioops.examples.http.StaticFileServer} serves the files under one directory over HTTP/1.1, within
 * {@link dev.aioops.examples.http.HttpLimits}.
 */
package dev.aioops.examples.http;
