/**
 * Image output: PNG grids of generated samples.
 */
package org.fedgen.models.image;
