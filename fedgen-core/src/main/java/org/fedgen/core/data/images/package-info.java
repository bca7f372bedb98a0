/**
 * Users' own image data: IDX files of any size, folders of PNG/JPEG images with labels from class subfolders, and
 * natural partitions (one folder per client), with errors that name the file or folder at fault.
 */
package org.fedgen.core.data.images;
